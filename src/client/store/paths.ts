/** Keys of objects in the store: the same paths the API uses. */
export const deviceKey = (user: string, device: string): string => `${user}/${device}`;
export const streamKey = (user: string, device: string, stream: string): string =>
  `${user}/${device}/${stream}`;
