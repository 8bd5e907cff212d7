/**
 * Light, dark, or the system's choice. The CSS follows the system by itself
 * (`color-scheme: light dark`); a pinned choice is a class on <html>, kept in localStorage and
 * applied when this module loads, before the app's first render.
 */
export type ThemeChoice = 'system' | 'light' | 'dark';
const KEY = 'chorus-theme';

function stored(): ThemeChoice {
  try {
    const v = localStorage.getItem(KEY);
    return v === 'light' || v === 'dark' ? v : 'system';
  } catch {
    return 'system';
  }
}

function apply(choice: ThemeChoice) {
  const root = document.documentElement;
  root.classList.toggle('light', choice === 'light');
  root.classList.toggle('dark', choice === 'dark');
}

class Theme {
  choice = $state<ThemeChoice>(stored());
  constructor() {
    apply(this.choice);
  }
  set(choice: ThemeChoice) {
    this.choice = choice;
    apply(choice);
    try {
      if (choice === 'system') localStorage.removeItem(KEY);
      else localStorage.setItem(KEY, choice);
    } catch {
      // Private mode without storage: the choice lasts for this tab.
    }
  }
  /** system → light → dark → system */
  cycle() {
    this.set(this.choice === 'system' ? 'light' : this.choice === 'light' ? 'dark' : 'system');
  }
}

export const theme = new Theme();
