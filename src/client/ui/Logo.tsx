/** Tributary's mark: streams joining into one. Decorative; the name is always beside it. */
export function Logo({ size = 28 }: { size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 32 32" aria-hidden focusable="false">
      <rect width="32" height="32" rx="8" fill="var(--accent)" />
      <path
        d="M7 9c4 0 6 3 9 7s5 7 9 7M7 16c4 0 6 0 9 0M7 23c4 0 6-3 9-7"
        fill="none"
        stroke="var(--accent-text)"
        strokeWidth="2.6"
        strokeLinecap="round"
      />
    </svg>
  );
}
