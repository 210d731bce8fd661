import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The ingress serves the build at /ui/ (apps/ingress/src/console/console-assets.ts).
export default defineConfig({
  base: '/ui/',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, target: 'es2022', reportCompressedSize: false },
});
