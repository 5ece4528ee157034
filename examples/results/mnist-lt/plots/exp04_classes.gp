set terminal pngcairo size 900,540 font ',10'
set output "examples/results/mnist-lt/exp04_classes.png"
set title "per-class test accuracy"
set style data histogram
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set boxwidth 0.9
set yrange [0:105]
set xlabel 'class'
set ylabel 'accuracy (%)'
set key outside right
set grid ytics
plot "examples/results/mnist-lt/plots/exp04_classes.dat" using 2:xtic(1) title "balanced (best)", "examples/results/mnist-lt/plots/exp04_classes.dat" using 3 title "long_tail_10 (best)", "examples/results/mnist-lt/plots/exp04_classes.dat" using 4 title "long_tail_50 (best)", "examples/results/mnist-lt/plots/exp04_classes.dat" using 5 title "long_tail_100 (best)", "examples/results/mnist-lt/plots/exp04_classes.dat" using 6 title "long_tail_200 (best)", "examples/results/mnist-lt/plots/exp04_classes.dat" using 7 title "step_10 (best)", "examples/results/mnist-lt/plots/exp04_classes.dat" using 8 title "step_50 (best)", "examples/results/mnist-lt/plots/exp04_classes.dat" using 9 title "step_100 (best)", "examples/results/mnist-lt/plots/exp04_classes.dat" using 10 title "step_200 (best)"
