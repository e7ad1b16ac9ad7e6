/**
 * Parses an `md5sums.txt` as `md5sum` writes it (`<hex>  <name>`, `<hex> *<name>` in binary mode) or as BSD
 * `md5` writes it (`MD5 (<name>) = <hex>`). Names are reduced to their base name, since mirrors list paths
 * like `./shd_train.h5.gz`.
 */
export function parseMd5Sums(text: string): Map<string, string> {
  const sums = new Map<string, string>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const gnu = /^([0-9a-fA-F]{32})\s+\*?(.+)$/.exec(line);
    const bsd = /^MD5\s*\((.+)\)\s*=\s*([0-9a-fA-F]{32})$/.exec(line);
    if (gnu) sums.set(baseName(gnu[2]), gnu[1].toLowerCase());
    else if (bsd) sums.set(baseName(bsd[1]), bsd[2].toLowerCase());
  }
  return sums;
}

function baseName(name: string): string {
  const trimmed = name.trim();
  const slash = Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf('\\'));
  return slash >= 0 ? trimmed.slice(slash + 1) : trimmed;
}
