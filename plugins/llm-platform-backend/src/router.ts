import express from 'express';
import Router from 'express-promise-router';

/**
 * The plugin's HTTP surface. Today it only reports that the plugin is up;
 * the workload and metrics endpoints are added with their OpenAPI schema.
 */
export async function createRouter(): Promise<express.Router> {
  const router = Router();
  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  return router;
}
