import {
  darken,
  getContrastRatio,
  lighten,
  type Theme,
} from '@mui/material/styles';

/** WCAG 2.1's minimum contrast for text of normal size (1.4.3, AA). */
const TEXT_CONTRAST = 4.5;

type StatusColor = 'success' | 'warning' | 'error';

/**
 * A status colour for text on the theme's paper: the palette's main colour,
 * darkened in a light theme or lightened in a dark one just enough to reach
 * 4.5:1. Themes' main colours are made for fills and borders: MUI's dark
 * red on Backstage's dark paper is 2.7:1.
 */
export function statusText(theme: Theme, color: StatusColor): string {
  const main = theme.palette[color].main;
  const background = theme.palette.background.paper;
  const shift = theme.palette.mode === 'dark' ? lighten : darken;
  let text = main;
  for (let step = 1; step <= 10; step++) {
    if (getContrastRatio(text, background) >= TEXT_CONTRAST) break;
    text = shift(main, step / 10);
  }
  return text;
}

/**
 * Text on a fill of a status colour: white or black, whichever stands out
 * more. MUI picks white down to 3:1, which leaves white on its warning orange
 * at 3:1.
 */
export function textOnStatusFill(theme: Theme, color: StatusColor): string {
  const fill = theme.palette[color].main;
  const { black, white } = theme.palette.common;
  return getContrastRatio(fill, white) >= getContrastRatio(fill, black)
    ? white
    : black;
}

/** `statusText` of the error colour, as an `sx` colour. */
export const errorText = (theme: Theme) => statusText(theme, 'error');
