// Thread wake-up latency of this machine, for reading the ping RTT figures (benchmarks/README.md):
//   gcc -O2 -pthread -o /tmp/wake-latency benchmarks/wake-latency.c
//   /tmp/wake-latency 0 1 200 200   # CPU 0 <-> CPU 1, 200 round trips, each after 200 ms idle
//   /tmp/wake-latency 0 0 200 200   # both threads on CPU 0
// Round trip of a byte between two threads through pipes, with an idle gap before each round:
// each round trip is two blocking wake-ups (same CPU or across vCPUs, per the pinning given).
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
static int ab[2], ba[2]; static int cpu_b;
static void pin(int cpu){ cpu_set_t s; CPU_ZERO(&s); CPU_SET(cpu,&s); pthread_setaffinity_np(pthread_self(),sizeof s,&s); }
static void *echo(void *x){ pin(cpu_b); char c; while(read(ab[0],&c,1)==1) write(ba[1],&c,1); return 0; }
static double now(){ struct timespec t; clock_gettime(CLOCK_MONOTONIC,&t); return t.tv_sec*1e6+t.tv_nsec/1e3; }
static int cmp(const void*a,const void*b){ double d=*(double*)a-*(double*)b; return d<0?-1:d>0; }
int main(int argc,char**argv){ int cpu_a=atoi(argv[1]); cpu_b=atoi(argv[2]); int n=atoi(argv[3]); int gap_ms=atoi(argv[4]);
  pipe(ab); pipe(ba); pthread_t t; pthread_create(&t,0,echo,0); pin(cpu_a); double *r=malloc(n*sizeof(double)); char c='x';
  for(int i=0;i<n;i++){ usleep(gap_ms*1000); double t0=now(); write(ab[1],&c,1); read(ba[0],&c,1); r[i]=now()-t0; }
  qsort(r,n,sizeof(double),cmp); double s=0; for(int i=0;i<n;i++) s+=r[i];
  printf("cpu %d <-> cpu %d, %d round trips after %d ms idle: avg %.1f us, p50 %.1f us, p99 %.1f us\n",cpu_a,cpu_b,n,gap_ms,s/n,r[n/2],r[(int)(n*0.99)]); }
