// Leaflet's package.json points only at its UMD build; the app loads the ES module build
// (same API, same types) so the bundler keeps its named exports.
declare module 'leaflet/dist/leaflet-src.esm.js' {
  export * from 'leaflet';
}
