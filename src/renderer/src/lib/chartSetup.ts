/**
 * chart.js with only the pieces the line charts use registered (keeps the bundle small, and the tree-shaken
 * build fails loudly if a chart asks for something unregistered). Animation is off: charts redraw on every
 * batch and must keep up with training.
 */
import {
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  LogarithmicScale,
  PointElement,
  Title,
  Tooltip,
} from 'chart.js';

Chart.register(LineController, LineElement, PointElement, LinearScale, LogarithmicScale, Legend, Title, Tooltip);
Chart.defaults.animation = false;
Chart.defaults.font.family = 'system-ui, sans-serif';

export { Chart };
