int main() {
  int x;
  int n;
  (x = 0);
  assume((n > 0));