"use client";

/** Anything the pages did not expect (the details are in the server's log, never on the page). */
export default function ErrorPage({ reset }: { error: Error; reset: () => void }) {
  return (
    <section className="card notice" role="alert">
      <strong>Something went wrong on the server</strong>
      <p>The details are in the log of the terminal running the demo. Try again, or go back to the start.</p>
      <div className="actions">
        <button type="button" className="primary" onClick={reset}>
          Try again
        </button>
        <a href="/" className="button">
          Back to the start
        </a>
      </div>
    </section>
  );
}
