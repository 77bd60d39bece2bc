/** `material:star` → `star`; undefined for anything else. */
export function materialIconName(icon: string): string | undefined {
  const match = /^material:([a-z0-9_]+)$/.exec(icon.trim());
  return match?.[1];
}

const IMAGE_SIGNATURES: [string, string][] = [
  ['iVBOR', 'image/png'],
  ['/9j/', 'image/jpeg'],
  ['R0lGOD', 'image/gif'],
  ['PHN2Zy', 'image/svg+xml'],
  ['UklGR', 'image/webp'],
];

/**
 * A URL for an icon given as an image: a `data:image/…` URL as is, or ConnectorDB's bare base64
 * (type told by its first bytes). Anything else — `material:`, `fa:`, '' — is not an image.
 */
export function iconImageSource(icon: string): string | undefined {
  const text = icon.trim();
  if (/^data:image\/(png|jpeg|gif|webp|svg\+xml);base64,[A-Za-z0-9+/=]+$/.test(text)) return text;
  if (text.length < 16 || !/^[A-Za-z0-9+/=\s]+$/.test(text)) return undefined;
  const type = IMAGE_SIGNATURES.find(([prefix]) => text.startsWith(prefix))?.[1];
  return type ? `data:${type};base64,${text.replace(/\s/g, '')}` : undefined;
}
