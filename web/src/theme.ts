import { Anchor, createTheme, Modal, type CSSVariablesResolver } from '@mantine/core';

// Mantine's default shades fail axe's colour-contrast rule (white on blue.6 is 3.55:1, red.6 text 3.28:1):
// shade 8 for filled controls and red.9 for errors give at least 4.5:1.
export const theme = createTheme({
  primaryColor: 'blue',
  primaryShade: 8,
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Liberation Sans", Arial, sans-serif',
  defaultRadius: 'sm',
  components: {
    // Links inside text must not rely on colour alone (axe link-in-text-block).
    Anchor: Anchor.extend({ defaultProps: { underline: 'always' } }),
    // The close (x) button of every dialog needs a name (axe button-name).
    Modal: Modal.extend({ defaultProps: { closeButtonProps: { 'aria-label': 'Close dialog' } } }),
  },
});

export const cssVariables: CSSVariablesResolver = (t) => ({
  variables: {},
  light: {
    '--mantine-color-error': t.colors.red[9],
    '--mantine-color-dimmed': t.colors.gray[7],
    '--mantine-color-placeholder': t.colors.gray[7],
    '--mantine-color-anchor': t.colors.blue[8],
  },
  dark: {},
});
