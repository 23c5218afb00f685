"""Warnings: CAP 1.2 alerts, their geometry, status queries, subscriptions and feeds."""
