int main() {
  int x;
  int n;
  (x = 0);
  n = foo();
  while ((x < n)) {
    (x = (x + 1));
  }
  assert((x == n));
}
