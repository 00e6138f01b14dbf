import type { ReactNode } from 'react';

/** A labelled list of facts (<dl>): each row a term and its value. */
export function FactList({ facts, label }: { facts: readonly (readonly [string, ReactNode])[]; label: string }) {
  return (
    <dl className="facts" aria-label={label}>
      {facts.map(([term, value]) => (
        <div className="fact" key={term}>
          <dt>{term}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

export const NotGiven = () => <span className="muted">Not provided</span>;
