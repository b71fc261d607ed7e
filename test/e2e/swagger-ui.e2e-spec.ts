import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';
import { newClient } from '../support/session.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

// Debian's chromium (.ci/run installs it when missing); flags for a closed network, as root
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

describe('Swagger UI at /api/docs, in a real browser', () => {
  let t: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `${CHROMIUM} is missing: install Debian's chromium package (.ci/run does) or set CHROMIUM_PATH`,
      );
    }
    t = await createTestApp();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('should load, authorize with a bearer token, and run "try it out" on an endpoint', async () => {
    const session = await newClient(t);
    const page = await browser.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') {
        pageErrors.push(message.text());
      }
    });

    await page.goto(`${t.baseUrl}/api/docs`);
    await page.getByText('Craftsmen marketplace API').first().waitFor();

    await page.locator('button.authorize').first().click();
    await page.locator('.auth-container input').first().fill(session.accessToken);
    await page.locator('.auth-btn-wrapper button.authorize').first().click();
    await page.locator('button.btn-done').first().click();

    const operation = page.locator('#operations-auth-Auth_session');
    await operation.locator('.opblock-summary').click();
    await operation.getByRole('button', { name: 'Try it out' }).click();
    await operation.getByRole('button', { name: 'Execute' }).click();
    const responseRow = operation
      .locator('.live-responses-table .response .response-col_status')
      .first();
    await responseRow.waitFor();

    expect((await responseRow.textContent())?.trim()).toBe('200');
    const body = await operation
      .locator('.live-responses-table .response-col_description pre')
      .first()
      .textContent();
    expect(JSON.parse(body ?? '{}')).toEqual(
      expect.objectContaining({ userId: session.user.id, role: 'client' }),
    );
    expect(pageErrors).toEqual([]);
  });
});
