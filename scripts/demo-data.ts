/** The demo seller's dataset: 200 cities over five regions, generated the same way every time. */
export function demoCitiesCsv(): string {
  const regions = ["Europe", "North America", "South America", "Asia", "Africa"];
  const lines = ["id,city,region,population,growth_pct,coastal"];
  for (let i = 1; i <= 200; i++) {
    const region = regions[i % regions.length]!;
    const population = 50_000 + ((i * 7919) % 400) * 25_000;
    const growth = (((i * 31) % 70) - 20) / 10;
    lines.push(`${i},City ${String(i).padStart(3, "0")},${region},${population},${growth},${i % 3 === 0}`);
  }
  return lines.join("\n");
}
