"""Spatial functions over GeoJSON (WGS-84 longitude/latitude).

Distances are geodesics on the WGS-84 ellipsoid (Vincenty's inverse formula); areas use
great-circle edges on the sphere of equal area (authalic). Containment and intersection
tests treat edges as straight lines in longitude/latitude, which is exact enough for the
small shapes documents describe but not for polygons spanning many degrees.
"""

from __future__ import annotations

import itertools
import math
from typing import Any

from ..budget import spend
from ..limits import MAX_GEOMETRY_POINTS
from ..values import UNDEFINED
from .registry import builtin

_A = 6_378_137.0
_F = 1 / 298.257223563
_B = _A * (1 - _F)
_E2 = _F * (2 - _F)
_E = math.sqrt(_E2)

Position = tuple[float, float]


def _position(value: Any) -> Position | None:
    if type(value) is list and len(value) in (2, 3) and all(type(x) in (int, float) for x in value):
        return (float(value[0]), float(value[1]))
    return None


def _ring(value: Any) -> list[Position] | None:
    if type(value) is not list or len(value) > MAX_GEOMETRY_POINTS:
        return None
    points = [_position(p) for p in value]
    if len(points) < 4 or any(p is None for p in points):
        return None
    return points  # type: ignore[return-value]


def _geometry(value: Any) -> tuple[str, Any] | None:
    """("Point", pos) | ("LineString", [pos]) | ("Polygon", [ring]) | ("MultiPolygon", ...).

    None when it is not valid GeoJSON, or has more than MAX_GEOMETRY_POINTS positions
    (Cosmos DB's limit per polygon): the tests below compare points with edges.
    """
    geometry = _parse_geometry(value)
    if geometry is None or geometry[0] == "Point":
        return geometry
    if len(_points(*geometry)) + len(_edges(*geometry)) > 2 * MAX_GEOMETRY_POINTS:
        return None
    return geometry


def _parse_geometry(value: Any) -> tuple[str, Any] | None:
    if type(value) is not dict or type(value.get("type")) is not str:
        return None
    kind, coords = value["type"], value.get("coordinates")
    if kind == "Point":
        pos = _position(coords)
        return None if pos is None else (kind, pos)
    if kind in ("LineString", "MultiPoint"):
        if type(coords) is not list or not coords or len(coords) > MAX_GEOMETRY_POINTS:
            return None
        line = [_position(p) for p in coords]
        return None if any(p is None for p in line) else (kind, line)
    if kind == "Polygon":
        if type(coords) is not list or not coords:
            return None
        rings = [_ring(r) for r in coords]
        return None if any(r is None for r in rings) else (kind, rings)
    if kind == "MultiPolygon":
        if type(coords) is not list or not coords or len(coords) > MAX_GEOMETRY_POINTS:
            return None
        polygons = []
        for poly in coords:
            if type(poly) is not list or not poly:
                return None
            rings = [_ring(r) for r in poly]
            if any(r is None for r in rings):
                return None
            polygons.append(rings)
        return (kind, polygons)
    return None


def _vincenty(p1: Position, p2: Position) -> float:
    """Geodesic distance in metres between two lon/lat positions on WGS-84."""
    if p1 == p2:
        return 0.0
    lon_diff = math.radians(p2[0] - p1[0])
    u1 = math.atan((1 - _F) * math.tan(math.radians(p1[1])))
    u2 = math.atan((1 - _F) * math.tan(math.radians(p2[1])))
    sin_u1, cos_u1, sin_u2, cos_u2 = math.sin(u1), math.cos(u1), math.sin(u2), math.cos(u2)
    lam = lon_diff
    for _ in range(200):
        sin_lam, cos_lam = math.sin(lam), math.cos(lam)
        sin_sigma = math.hypot(cos_u2 * sin_lam, cos_u1 * sin_u2 - sin_u1 * cos_u2 * cos_lam)
        if sin_sigma == 0:
            return 0.0
        cos_sigma = sin_u1 * sin_u2 + cos_u1 * cos_u2 * cos_lam
        sigma = math.atan2(sin_sigma, cos_sigma)
        sin_alpha = cos_u1 * cos_u2 * sin_lam / sin_sigma
        cos2_alpha = 1 - sin_alpha**2
        cos_2sm = cos_sigma - 2 * sin_u1 * sin_u2 / cos2_alpha if cos2_alpha else 0.0
        c = _F / 16 * cos2_alpha * (4 + _F * (4 - 3 * cos2_alpha))
        previous = lam
        lam = lon_diff + (1 - c) * _F * sin_alpha * (
            sigma + c * sin_sigma * (cos_2sm + c * cos_sigma * (-1 + 2 * cos_2sm**2))
        )
        if abs(lam - previous) < 1e-13:
            break
    else:  # nearly antipodal points: fall back to the sphere
        return _haversine(p1, p2)
    u_sq = cos2_alpha * (_A**2 - _B**2) / _B**2
    big_a = 1 + u_sq / 16384 * (4096 + u_sq * (-768 + u_sq * (320 - 175 * u_sq)))
    big_b = u_sq / 1024 * (256 + u_sq * (-128 + u_sq * (74 - 47 * u_sq)))
    delta = (
        big_b
        * sin_sigma
        * (
            cos_2sm
            + big_b
            / 4
            * (
                cos_sigma * (-1 + 2 * cos_2sm**2)
                - big_b / 6 * cos_2sm * (-3 + 4 * sin_sigma**2) * (-3 + 4 * cos_2sm**2)
            )
        )
    )
    return _B * big_a * (sigma - delta)


def _haversine(p1: Position, p2: Position) -> float:
    lon1, lat1, lon2, lat2 = map(math.radians, (*p1, *p2))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6_371_008.8 * math.asin(math.sqrt(h))


def _in_ring(point: Position, ring: list[Position]) -> bool:
    spend(len(ring))
    x, y = point
    inside = False
    for (x1, y1), (x2, y2) in itertools.pairwise(ring):
        if (y1 > y) != (y2 > y):
            cross = x1 + (y - y1) * (x2 - x1) / (y2 - y1)
            if x < cross:
                inside = not inside
    return inside


def _in_polygon(point: Position, rings: list[list[Position]]) -> bool:
    return _in_ring(point, rings[0]) and not any(_in_ring(point, hole) for hole in rings[1:])


def _segments_cross(a: Position, b: Position, c: Position, d: Position) -> bool:
    def orient(p: Position, q: Position, r: Position) -> float:
        return (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])

    spend()
    d1, d2 = orient(c, d, a), orient(c, d, b)
    d3, d4 = orient(a, b, c), orient(a, b, d)
    return (d1 * d2 <= 0) and (d3 * d4 <= 0)


def _edges(kind: str, coords: Any) -> list[tuple[Position, Position]]:
    if kind == "LineString":
        return list(itertools.pairwise(coords))
    if kind == "Polygon":
        return [e for ring in coords for e in itertools.pairwise(ring)]
    if kind == "MultiPolygon":
        return [e for poly in coords for e in _edges("Polygon", poly)]
    return []


def _points(kind: str, coords: Any) -> list[Position]:
    if kind == "Point":
        return [coords]
    if kind in ("LineString", "MultiPoint"):
        return coords
    if kind == "Polygon":
        return coords[0]
    return [p for poly in coords for p in poly[0]]


def _contains(kind: str, coords: Any, point: Position) -> bool:
    if kind == "Polygon":
        return _in_polygon(point, coords)
    if kind == "MultiPolygon":
        return any(_in_polygon(point, poly) for poly in coords)
    if kind in ("Point", "MultiPoint"):
        return point in _points(kind, coords)
    return False


@builtin("ST_DISTANCE", 2)
def st_distance(first: Any, second: Any) -> Any:
    """Distance in metres between two points (or the closest points of two point sets)."""
    a, b = _geometry(first), _geometry(second)
    if a is None or b is None:
        return UNDEFINED
    if a[0] in ("Point", "MultiPoint") and b[0] in ("Point", "MultiPoint"):
        return _nearest(_points(*a), _points(*b))
    # A point inside an area is at distance 0; otherwise use the nearest vertex.
    for point_geom, area in ((a, b), (b, a)):
        if point_geom[0] == "Point" and _contains(area[0], area[1], point_geom[1]):
            return 0.0
    return _nearest(_points(*a), _points(*b))


def _nearest(first: list[Position], second: list[Position]) -> float:
    """The smallest distance between a point of each set; every pair is measured."""
    best = math.inf
    for p in first:
        spend(len(second))
        best = min(best, *(_vincenty(p, q) for q in second))
    return best


@builtin("ST_WITHIN", 2)
def st_within(first: Any, second: Any) -> Any:
    """True when every point of the first geometry lies inside the second."""
    a, b = _geometry(first), _geometry(second)
    if a is None or b is None:
        return UNDEFINED
    return all(_contains(b[0], b[1], p) for p in _points(*a))


@builtin("ST_INTERSECTS", 2)
def st_intersects(first: Any, second: Any) -> Any:
    """True when the two geometries share at least one point."""
    a, b = _geometry(first), _geometry(second)
    if a is None or b is None:
        return UNDEFINED
    if any(_contains(b[0], b[1], p) for p in _points(*a)):
        return True
    if any(_contains(a[0], a[1], p) for p in _points(*b)):
        return True
    return any(_segments_cross(*e, *f) for e in _edges(*a) for f in _edges(*b))


def _validity(value: Any) -> str | None:
    """None when the GeoJSON value is valid, else the reason."""
    if type(value) is not dict or type(value.get("type")) is not str:
        return "The object is not a valid GeoJSON geometry."
    if value["type"] not in ("Point", "MultiPoint", "LineString", "Polygon", "MultiPolygon"):
        return f"Unsupported geometry type '{value['type']}'."
    geometry = _geometry(value)
    if geometry is None:
        return "The coordinates are not valid for the geometry type."
    for lon, lat in _points(*geometry) + [p for e in _edges(*geometry) for p in e]:
        if not -90 <= lat <= 90:
            return "Latitude values must be between -90 and 90 degrees."
        if not -180 <= lon <= 180:
            return "Longitude values must be between -180 and 180 degrees."
    rings = []
    if geometry[0] == "Polygon":
        rings = geometry[1]
    elif geometry[0] == "MultiPolygon":
        rings = [r for poly in geometry[1] for r in poly]
    for ring in rings:
        if ring[0] != ring[-1]:
            return "The first and last positions of a polygon ring must be the same."
    return None


@builtin("ST_ISVALID", 1)
def st_is_valid(value: Any) -> Any:
    """True when the value is a valid GeoJSON Point, LineString, Polygon or MultiPolygon."""
    return _validity(value) is None


@builtin("ST_ISVALIDDETAILED", 1)
def st_is_valid_detailed(value: Any) -> Any:
    """{"valid": bool, "reason": text when invalid}."""
    reason = _validity(value)
    return {"valid": True} if reason is None else {"valid": False, "reason": reason}


def _authalic_latitude(lat: float) -> float:
    def q(phi: float) -> float:
        s = math.sin(phi)
        return (1 - _E2) * (
            s / (1 - _E2 * s * s) - math.log((1 - _E * s) / (1 + _E * s)) / (2 * _E)
        )

    return math.asin(q(lat) / q(math.pi / 2))


_AUTHALIC_RADIUS = _A * math.sqrt(
    (1 - _E2) * (1 / (1 - _E2) - math.log((1 - _E) / (1 + _E)) / (2 * _E)) / 2
)


def _ring_area(ring: list[Position]) -> float:
    total = 0.0
    for (lon1, lat1), (lon2, lat2) in itertools.pairwise(ring):
        t1 = math.tan(_authalic_latitude(math.radians(lat1)) / 2)
        t2 = math.tan(_authalic_latitude(math.radians(lat2)) / 2)
        half = math.tan(math.radians(lon2 - lon1) / 2)
        total += 2 * math.atan2(half * (t1 + t2), 1 + t1 * t2)
    return abs(total) * _AUTHALIC_RADIUS**2


@builtin("ST_AREA", 1)
def st_area(value: Any) -> Any:
    """Area in square metres of a Polygon or MultiPolygon."""
    geometry = _geometry(value)
    if geometry is None or geometry[0] not in ("Polygon", "MultiPolygon"):
        return UNDEFINED
    polygons = [geometry[1]] if geometry[0] == "Polygon" else geometry[1]
    return sum(_ring_area(p[0]) - sum(_ring_area(h) for h in p[1:]) for p in polygons)
