import type { Point } from './listQuery';

/** Whether the browser has geolocation at all. */
export function geolocationSupported(): boolean {
  return typeof navigator !== 'undefined' && 'geolocation' in navigator;
}

export type GeoPermission = PermissionState | 'unsupported' | 'unknown';

/** Whether the person allowed, refused or was not asked yet; without asking them. */
export async function geolocationPermission(): Promise<GeoPermission> {
  if (!geolocationSupported()) return 'unsupported';
  try {
    const status = await navigator.permissions.query({ name: 'geolocation' });
    return status.state;
  } catch {
    return 'unknown';
  }
}

let lastKnown: Point | null = null;

/**
 * Where the person is, when they allow it; null when they refuse, it takes too long or the
 * browser cannot tell. Remembered for this visit, so they are not asked again and again.
 */
export function currentPosition(timeoutMs = 10_000): Promise<Point | null> {
  if (lastKnown !== null) return Promise.resolve(lastKnown);
  if (!geolocationSupported()) return Promise.resolve(null);
  return new Promise((resolve) => {
    // Some browsers never answer when the question is ignored: give up after a while.
    const timer = window.setTimeout(() => resolve(null), timeoutMs + 1_000);
    navigator.geolocation.getCurrentPosition(
      (position) => {
        window.clearTimeout(timer);
        lastKnown = { lat: position.coords.latitude, lon: position.coords.longitude };
        resolve(lastKnown);
      },
      () => {
        window.clearTimeout(timer);
        resolve(null);
      },
      { enableHighAccuracy: false, timeout: timeoutMs, maximumAge: 5 * 60_000 },
    );
  });
}
