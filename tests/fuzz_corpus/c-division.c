int main() {
  int x;
  int n;
  (x = 0);
  assume((n > 0));
  while ((x < n)) {
    (x = (x / 2));
  }
  assert((x == n));
}
