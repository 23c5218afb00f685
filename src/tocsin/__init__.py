"""tocsin: conflict reports in; sourced, geo-referenced events and CAP 1.2 warnings out."""
