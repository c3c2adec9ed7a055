// axe-core (WCAG 2.2 A and AA, and headings in order) on the page in light and in dark, for every spec that audits.
import AxeBuilder from '@axe-core/playwright';
import { switchColourScheme, type Page } from './fixtures';

const tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/**
 * Runs axe in both schemes (the page ends in light); returns "<where> <scheme>: <rule> <target> (<summary>)" per
 * failing node. `include`: only these parts of the page (CSS selectors); default the whole page.
 */
export async function audit(page: Page, where: string, include: string[] = []): Promise<string[]> {
  const found: string[] = [];
  for (const scheme of ['light', 'dark'] as const) {
    await switchColourScheme(page, scheme);
    let axe = new AxeBuilder({ page });
    for (const selector of include) axe = axe.include(selector);
    // Headings in order is a best practice to axe; here it is a rule (Profiles once jumped from h1 to h3).
    const { violations } = await axe
      .options({ runOnly: { type: 'tag', values: tags }, rules: { 'heading-order': { enabled: true } } })
      .analyze();
    for (const v of violations)
      for (const node of v.nodes)
        found.push(
          `${where} ${scheme}: ${v.id} ${node.target.join(' ')} (${node.failureSummary?.split('\n')[1] ?? ''})`,
        );
  }
  await page.emulateMedia({ colorScheme: 'light' });
  return found;
}
