import adapter from '@sveltejs/adapter-static';
import { sveltekit } from '@sveltejs/kit/vite';
import tailwindcss from '@tailwindcss/vite';
import { defineConfig } from 'vite';

const target = process.env.CHORUS_SERVER ?? 'http://127.0.0.1:3000';

export default defineConfig({
  // SvelteKit 3 reads its options here, not from svelte.config.js.
  plugins: [
    tailwindcss(),
    // precompress: brotli and gzip twins of every asset, which the server sends as they are.
    sveltekit({ adapter: adapter({ fallback: 'index.html', pages: 'build', assets: 'build', precompress: true }) }),
  ],
  server: {
    proxy: {
      '/api': { target, changeOrigin: false },
      '/socket.io': { target, ws: true },
      '/collab': { target, ws: true },
    },
  },
});
