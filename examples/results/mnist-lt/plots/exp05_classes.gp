set terminal pngcairo size 900,540 font ',10'
set output "examples/results/mnist-lt/exp05_classes.png"
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
plot "examples/results/mnist-lt/plots/exp05_classes.dat" using 2:xtic(1) title "plain (best)", "examples/results/mnist-lt/plots/exp05_classes.dat" using 3 title "random_over (best)", "examples/results/mnist-lt/plots/exp05_classes.dat" using 4 title "random_under (best)", "examples/results/mnist-lt/plots/exp05_classes.dat" using 5 title "weighted_random (best)", "examples/results/mnist-lt/plots/exp05_classes.dat" using 6 title "class_balanced (best)", "examples/results/mnist-lt/plots/exp05_classes.dat" using 7 title "square_root (best)", "examples/results/mnist-lt/plots/exp05_classes.dat" using 8 title "progressively_balanced (best)", "examples/results/mnist-lt/plots/exp05_classes.dat" using 9 title "label_shuffling (best)", "examples/results/mnist-lt/plots/exp05_classes.dat" using 10 title "batch_balanced (best)", "examples/results/mnist-lt/plots/exp05_classes.dat" using 11 title "dynamic (best)"
