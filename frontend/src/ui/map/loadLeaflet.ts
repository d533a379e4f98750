import type * as Leaflet from 'leaflet';

export type LeafletModule = typeof Leaflet;

let loading: Promise<LeafletModule> | null = null;

/**
 * Leaflet and its CSS are fetched only when a map is shown, so pages without a map stay
 * light on slow connections. A failed load is tried again next time.
 */
export function loadLeaflet(): Promise<LeafletModule> {
  loading ??= Promise.all([import('leaflet/dist/leaflet-src.esm.js'), import('leaflet/dist/leaflet.css')])
    .then(([module]) => module)
    .catch((error: unknown) => {
      loading = null;
      throw error;
    });
  return loading;
}
