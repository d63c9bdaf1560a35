import { reactRouter } from "@react-router/dev/vite";
import tailwindcss from "@tailwindcss/vite";
import { defineConfig } from "vite";

export default defineConfig({
  plugins: [tailwindcss(), reactRouter()],
  // The server bundle is built by scripts/build-server.mjs; these stay external.
  ssr: { external: ["@electric-sql/pglite", "@node-rs/argon2", "postgres"] },
});
