set terminal pngcairo size 900,540 font ',10'
set output "examples/results/mnist-lt/exp04_ratio.png"
set title "test accuracy against the imbalance ratio (last epoch)"
set xlabel "imbalance ratio"
set ylabel "accuracy (%)"
set grid
set key outside right
set logscale x
plot "examples/results/mnist-lt/plots/exp04_ratio.dat" index 0 with linespoints title "overall, long tail", "examples/results/mnist-lt/plots/exp04_ratio.dat" index 1 with linespoints title "classes 5-9, long tail", "examples/results/mnist-lt/plots/exp04_ratio.dat" index 2 with linespoints title "overall, step", "examples/results/mnist-lt/plots/exp04_ratio.dat" index 3 with linespoints title "classes 5-9, step"
