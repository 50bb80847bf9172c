/**
 * The console builds into ../dist/console, served by the local server at
 * /console/ (cloudfunctions/local/console-static.ts). Its own Vite and React
 * versions: the root's Vite is Taro's 4.5 (npm workspaces keep the two apart).
 */
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  base: '/console/',
  plugins: [react()],
  build: {
    outDir: '../dist/console',
    emptyOutDir: true,
    chunkSizeWarningLimit: 2_000,
    rollupOptions: {
      output: {
        // antd changes less often than our pages: a separate file stays cached.
        manualChunks: { antd: ['antd', '@ant-design/icons'] },
      },
    },
  },
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
});
