int main() {
  int and;
  int n;
  (and = 0);
  assume((n > 0));
  while ((and < n)) {
    (and = (and + 1));
  }
  assert((and == n));
}
