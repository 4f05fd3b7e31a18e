#include "cal.h"
int cal_tau_s(struct cal *c, unsigned p)
{
    (void)c;
    (void)p;
    return AX_OK;
}
int cal_psp(struct cal *c, unsigned p)
{
    (void)c;
    (void)p;
    return AX_OK;
}
int cal_refrac(struct cal *c)
{
    (void)c;
    return AX_OK;
}
