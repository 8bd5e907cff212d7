import type { MetricsEvent } from '@chorus/shared';
import { api, type MetricSeries } from '../api/client.ts';
import { realtime } from './realtime.svelte.ts';

type Point = MetricSeries['series'][number];

/**
 * A post's or campaign's metric series, subscribed to its room. Live `metrics` events update
 * the newest point (per post, since campaign totals are sums of each post's latest counts).
 */
export class LiveMetrics {
  series = $state<Point[]>([]);
  loading = $state(true);
  #perPost = new Map<string, Point>();
  #offs: (() => void)[] = [];

  constructor(readonly target: { campaignId: string } | { postId: string }) {
    this.#offs.push(realtime.subscribe(target));
    this.#offs.push(realtime.onMetrics((batch) => this.#apply(batch)));
    void this.reload();
  }

  async reload() {
    const q = { interval: 'hour' as const, from: new Date(Date.now() - 30 * 864e5).toISOString() };
    try {
      const r =
        'postId' in this.target
          ? await api.postMetrics(this.target.postId, q)
          : await api.campaignMetrics(this.target.campaignId, q);
      this.series = r.series;
    } catch {
      // The page shows why its subject could not be loaded; the chart just stays empty.
    } finally {
      this.loading = false;
    }
  }

  #apply(batch: MetricsEvent[]) {
    const mine = batch.filter((m) =>
      'postId' in this.target ? m.postId === this.target.postId : m.campaignId === this.target.campaignId,
    );
    if (!mine.length) return;
    for (const m of mine) {
      const prev = this.#perPost.get(m.postId);
      if (!prev || prev.at <= m.capturedAt)
        this.#perPost.set(m.postId, {
          at: m.capturedAt,
          likes: m.likes,
          shares: m.shares,
          comments: m.comments,
          impressions: m.impressions,
        });
    }
    if ('postId' in this.target) {
      const p = this.#perPost.get(this.target.postId);
      if (p) this.series = [...this.series.filter((s) => s.at < p.at), p];
      return;
    }
    // Campaign: refetch the sums rather than guess posts we have not seen events for.
    void this.reload();
  }

  csv() {
    const rows = [
      'at,impressions,likes,shares,comments',
      ...this.series.map((p) => `${p.at},${p.impressions},${p.likes},${p.shares},${p.comments}`),
    ];
    return rows.join('\n');
  }

  destroy() {
    for (const off of this.#offs) off();
  }
}

export function downloadCsv(name: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  URL.revokeObjectURL(url);
}
