interface LoadingCardProps {
  /** What the card waits for, in a sentence. */
  hint: string;
  /** The card's heading, when the loaded card has one too (so the page's outline does not jump). */
  heading?: { id: string; text: string };
  className?: string;
}

/** A card whose content the agent has not sent yet: it says what it waits for, marked busy for assistive technology. */
export function LoadingCard({ hint, heading, className = 'card' }: LoadingCardProps) {
  return (
    <section className={className} aria-labelledby={heading?.id} aria-busy="true">
      {heading !== undefined && (
        <h2 id={heading.id} className="card__heading">
          {heading.text}
        </h2>
      )}
      <p className="card__hint">{hint}</p>
    </section>
  );
}
