set terminal pngcairo size 900,540 font ',10'
set output "examples/results/mnist-lt/exp11_epochs.png"
set title "test accuracy per epoch (mean over seeds)"
set xlabel "epoch"
set ylabel "accuracy (%)"
set grid
set key outside right
plot "examples/results/mnist-lt/plots/exp11_epochs.dat" index 0 with linespoints title "cross_entropy", "examples/results/mnist-lt/plots/exp11_epochs.dat" index 1 with linespoints title "cdt_paper", "examples/results/mnist-lt/plots/exp11_epochs.dat" index 2 with linespoints title "cdt_book"
