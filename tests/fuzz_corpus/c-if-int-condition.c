int main() {
  int x;
  int n;
  (x = 0);
  assume((n > 0));
  while ((x < n)) {
    if (x) { x = x + 1; }
  }
  assert((x == n));
}
