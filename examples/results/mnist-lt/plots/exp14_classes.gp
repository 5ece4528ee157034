set terminal pngcairo size 900,540 font ',10'
set output "examples/results/mnist-lt/exp14_classes.png"
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
plot "examples/results/mnist-lt/plots/exp14_classes.dat" using 2:xtic(1) title "cross_entropy (best)", "examples/results/mnist-lt/plots/exp14_classes.dat" using 3 title "ghm_c (best)", "examples/results/mnist-lt/plots/exp14_classes.dat" using 4 title "dice (best)", "examples/results/mnist-lt/plots/exp14_classes.dat" using 5 title "self_adjusting_dice (best)", "examples/results/mnist-lt/plots/exp14_classes.dat" using 6 title "label_smoothing (best)", "examples/results/mnist-lt/plots/exp14_classes.dat" using 7 title "tversky (best)", "examples/results/mnist-lt/plots/exp14_classes.dat" using 8 title "mfe (best)", "examples/results/mnist-lt/plots/exp14_classes.dat" using 9 title "msfe (best)"
