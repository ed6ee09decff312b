export default function Home() {
  return <h1>Standalone</h1>;
}
