/* The smallest program: sums 1..8 recursively (the stack) into .bss and
 * exits with the result plus 6 from .data (42), so a host test can tell that
 * crt0 ran. It needs no chip registers: it also runs under qemu-riscv32. */
static volatile int base = 6; /* .data */
static volatile int sum;      /* .bss, cleared by crt0 */

static int __attribute__((noinline)) triangle(int n)
{
    return n ? n + triangle(n - 1) : 0;
}

int main(void)
{
    sum += triangle(8);
    return sum + base;
}
