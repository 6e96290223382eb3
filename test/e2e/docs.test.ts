import type { Browser } from 'playwright-core';
import { launchBrowser } from '../helpers/browser';
import { startStack, type Stack } from '../helpers/stack';

describe('API reference', () => {
  let stack: Stack;
  let browser: Browser;
  beforeAll(async () => {
    [stack, browser] = await Promise.all([startStack(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('serves the OpenAPI document without an API key', async () => {
    const res = await stack.api('GET', '/openapi.json', undefined, { key: null });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.body.openapi).toBe('3.1.0');
    expect(res.body.paths['/orders'].post.requestBody.content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/CreateOrder',
    });
    expect(res.body.components.schemas.CreateOrder.example.lines).toHaveLength(2);
  });

  it('renders Swagger UI in a real browser from local files only, under the API CSP', async () => {
    const page = await browser.newPage();
    const requests: string[] = [];
    const problems: string[] = [];
    page.on('request', (req) => requests.push(req.url()));
    page.on('console', (msg) => {
      if (msg.type() === 'error') problems.push(msg.text());
    });
    page.on('pageerror', (err) => problems.push(err.message));

    const res = await page.goto(`${stack.baseUrl}/docs`);
    expect(res?.status()).toBe(200);
    expect(res?.headers()['content-security-policy']).toContain("script-src 'self'");

    const createOrder = page.locator('.opblock-post', { has: page.locator('.opblock-summary-path', { hasText: /^\/orders$/ }) });
    await createOrder.first().waitFor({ timeout: 30_000 });
    expect(await page.locator('.opblock').count()).toBeGreaterThan(40);
    expect(await page.locator('.opblock-tag').allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('Orders')]));

    // Opening the operation shows its example body, from the validators' metadata.
    await createOrder.first().locator('.opblock-summary').click();
    await expect(createOrder.first().locator('.body-param__example, .microlight').first().textContent()).resolves.toContain('PAC-8KW');

    expect(requests.filter((url) => !url.startsWith(stack.baseUrl) && !url.startsWith('data:'))).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  });
});
