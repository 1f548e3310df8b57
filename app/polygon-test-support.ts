/**
 * Test-only: whether a point lies in a GeoJSON MultiPolygon's coordinates, by the even-odd ray
 * rule written here — independent of the service's geometry (geo/geometry.ts) and the map
 * client's use of it, so tests can check either against it. Runtime code never imports this file.
 */
export function inMultiPolygon(coords: readonly (readonly (readonly [number, number])[])[][], lon: number, lat: number): boolean {
  let inside = false;
  for (const poly of coords)
    for (const ring of poly)
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        const [xi, yi] = ring[i]!;
        const [xj, yj] = ring[j]!;
        if (yi > lat !== yj > lat && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
      }
  return inside;
}
