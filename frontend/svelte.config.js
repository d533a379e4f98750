import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

export default {
  // TypeScript in <script lang="ts">; svelte-check and the Vite plugin both read this.
  preprocess: vitePreprocess(),
};
