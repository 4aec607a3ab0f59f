/** `npm start`: serves the example app on http://127.0.0.1:8000 (PORT and HOST change it). */
import { serve } from "../../src/index.ts";
import { app } from "./app.ts";

serve(app).catch((error: unknown) => {
  console.error("The app could not start:", error instanceof Error ? error.message : error);
  process.exit(1);
});
