import { PinterestStatus } from "./pinterest-status";

export default function Page() {
  return (
    <main>
      <PinterestStatus />
    </main>
  );
}
