/** The window's views, in the order of their tabs; `id` names each tab's data-testid (`tab-<id>`). */
export type Tab = 'setup' | 'train' | 'spikes' | 'sessions' | 'sweeps' | 'listen' | 'playground';

export const TABS: readonly { id: Tab; label: string }[] = [
  { id: 'setup', label: 'Data & model' },
  { id: 'train', label: 'Training' },
  { id: 'spikes', label: 'Spikes' },
  { id: 'sessions', label: 'Sessions' },
  { id: 'sweeps', label: 'Sweeps' },
  { id: 'listen', label: 'Listen' },
  { id: 'playground', label: 'Playground' },
];
