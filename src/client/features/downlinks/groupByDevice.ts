/** Stream paths grouped by their `user/device`, groups and streams in a stable, readable order. */
export function groupByDevice(paths: readonly string[]): { device: string; paths: string[] }[] {
  const groups = new Map<string, string[]>();
  for (const path of paths) {
    const device = path.slice(0, path.lastIndexOf('/'));
    const group = groups.get(device) ?? [];
    group.push(path);
    groups.set(device, group);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([device, list]) => ({ device, paths: list.sort() }));
}
