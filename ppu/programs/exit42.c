/* The smallest program: sums 1..8 through .data and .bss and exits with the
 * result plus 6 (42), so a host test can tell that crt0 ran. */
static volatile int base = 6; /* .data */
static volatile int sum;      /* .bss, cleared by crt0 */

int main(void)
{
    for (int i = 1; i <= 8; i++)
        sum += i;
    return sum + base;
}
