"""The store: SQLAlchemy Core tables and queries; only this package knows the backend."""
