import { createTheme, getContrastRatio, Theme } from '@mui/material/styles';
import { themes as backstageThemes } from '@backstage/theme';
import { statusText, textOnStatusFill } from './contrast';

const themes = {
  'MUI light': createTheme(),
  'MUI dark': createTheme({ palette: { mode: 'dark' } }),
  'Backstage light': backstageThemes.light.getTheme('v5') as Theme,
  'Backstage dark': backstageThemes.dark.getTheme('v5') as Theme,
};
const colors = ['success', 'warning', 'error'] as const;

describe.each(Object.entries(themes))('%s theme', (_name, theme) => {
  it.each(colors)('gives %s text at least 4.5:1 on paper', color => {
    expect(
      getContrastRatio(
        statusText(theme, color),
        theme.palette.background.paper,
      ),
    ).toBeGreaterThanOrEqual(4.5);
  });

  it.each(colors)('gives text on a fill of %s at least 4.5:1', color => {
    expect(
      getContrastRatio(
        textOnStatusFill(theme, color),
        theme.palette[color].main,
      ),
    ).toBeGreaterThanOrEqual(4.5);
  });
});

it('keeps a main colour that already reads well', () => {
  const theme = createTheme();
  // #d32f2f on white is 4.98:1.
  expect(statusText(theme, 'error')).toBe(theme.palette.error.main);
});

it('changes the ones that do not', () => {
  // Backstage's dark paper is #424242, on which MUI's dark red is 2.7:1.
  const dark = themes['Backstage dark'];
  expect(
    getContrastRatio(dark.palette.error.main, dark.palette.background.paper),
  ).toBeLessThan(4.5);
  expect(statusText(dark, 'error')).not.toBe(dark.palette.error.main);
  expect(textOnStatusFill(createTheme(), 'warning')).toBe('#000');
});
