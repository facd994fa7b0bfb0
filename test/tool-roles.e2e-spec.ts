import type { Client } from '@modelcontextprotocol/client';
import request from 'supertest';

import { ADMIN_ONLY_RESOURCE, ADMIN_ONLY_TOOL, AdminOnlyToolModule } from './support/admin-only-tool';
import { connectMcp, type Era, toolBody } from './support/mcp-client';
import { ADMIN_KEY, SERVICE_KEY, startTestApp, type TestApp } from './support/test-app';

const fieldUri = ADMIN_ONLY_RESOURCE.replace('{field_id}', '1');

/** A tool declared with `roles: ['admin']` is refused to other callers on every surface, and listed only to its role. */
describe('per-tool roles', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({}, { modules: [AdminOnlyToolModule] });
  });

  afterAll(async () => {
    await app.close();
  });

  const auditOf = (requestId: string) => app.logs.forRequest(requestId).filter((line) => line.event === 'audit');

  it('refuses a service caller on the REST mirror with 403 forbidden, audited as denied', async () => {
    const res = await request(app.url).post(`/v1/mcp/${ADMIN_ONLY_TOOL}`).set({ Authorization: `Bearer ${SERVICE_KEY}`, 'X-Request-ID': 'roles-rest' }).send({ field_id: 1 });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ code: 'forbidden' });
    expect(auditOf('roles-rest')).toEqual([expect.objectContaining({ result: 'denied', reason: 'role_not_allowed', tool: ADMIN_ONLY_TOOL })]);
  });

  it('answers an administrator on the REST mirror', async () => {
    const res = await request(app.url).post(`/v1/mcp/${ADMIN_ONLY_TOOL}`).set({ Authorization: `Bearer ${ADMIN_KEY}` }).send({ field_id: 1 });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: 1 });
  });

  it('refuses the resource of the tool to a service caller on /v1/resources', async () => {
    const res = await request(app.url).get('/v1/resources').query({ uri: fieldUri }).set({ Authorization: `Bearer ${SERVICE_KEY}` });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ code: 'forbidden' });
  });

  describe.each<Era>(['legacy', 'modern'])('over MCP, %s era', (era) => {
    let service: Client;
    let admin: Client;

    beforeAll(async () => {
      service = await connectMcp(app.url, SERVICE_KEY, era);
      admin = await connectMcp(app.url, ADMIN_KEY, era);
    });

    afterAll(async () => {
      await service.close();
      await admin.close();
    });

    it('leaves the tool out of a service caller’s tools/list and lists it to an administrator', async () => {
      const serviceTools = (await service.listTools()).tools.map((tool) => tool.name);
      const adminTools = (await admin.listTools()).tools.map((tool) => tool.name);
      expect(serviceTools).not.toContain(ADMIN_ONLY_TOOL);
      expect(adminTools).toContain(ADMIN_ONLY_TOOL);
      expect(adminTools.filter((name) => name !== ADMIN_ONLY_TOOL).sort()).toEqual([...serviceTools].sort());
    });

    it('leaves the tool’s resource template out of a service caller’s resources/templates/list', async () => {
      const templatesOf = async (client: Client) => (await client.listResourceTemplates()).resourceTemplates.map((template) => template.uriTemplate);
      expect(await templatesOf(service)).not.toContain(ADMIN_ONLY_RESOURCE);
      expect(await templatesOf(admin)).toContain(ADMIN_ONLY_RESOURCE);
    });

    it('refuses a service caller’s call as a readable tool error with code forbidden', async () => {
      const result = await service.callTool({ name: ADMIN_ONLY_TOOL, arguments: { field_id: 1 } });
      expect(result.isError).toBe(true);
      expect(toolBody<{ code: string }>(result).code).toBe('forbidden');
    });

    it('answers an administrator’s call', async () => {
      const result = await admin.callTool({ name: ADMIN_ONLY_TOOL, arguments: { field_id: 1 } });
      expect(result.isError).toBeFalsy();
      expect(toolBody<{ id: number }>(result).id).toBe(1);
    });

    it('refuses resources/read of the tool’s resource to a service caller and reads it for an administrator', async () => {
      await expect(service.readResource({ uri: fieldUri })).rejects.toMatchObject({ data: { code: 'forbidden' } });
      const { contents } = await admin.readResource({ uri: fieldUri });
      expect(JSON.parse((contents[0] as { text: string }).text)).toMatchObject({ id: 1 });
    });
  });
});
