import plugin from './alpha';

describe('alpha plugin', () => {
  it('provides the API client, the entity tab and the overview card', () => {
    for (const id of [
      'api:llm-platform',
      'entity-content:llm-platform',
      'entity-card:llm-platform/overview',
    ]) {
      expect(plugin.getExtension(id as never)).toBeDefined();
    }
  });
});
