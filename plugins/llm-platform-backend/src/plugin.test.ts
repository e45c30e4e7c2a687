import { startTestBackend } from '@backstage/backend-test-utils';
import request from 'supertest';
import { llmPlatformPlugin } from './plugin';

describe('llmPlatformPlugin', () => {
  it('answers its health check without credentials', async () => {
    const { server } = await startTestBackend({
      features: [llmPlatformPlugin],
    });
    await request(server)
      .get('/api/llm-platform/health')
      .expect(200, { status: 'ok' });
  });

  it('serves nothing else yet, so unknown paths are 404', async () => {
    const { server } = await startTestBackend({
      features: [llmPlatformPlugin],
    });
    await request(server).get('/api/llm-platform/workloads').expect(404);
  });
});
