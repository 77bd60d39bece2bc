import { register } from '../registry';
import { basicTransforms } from './basic';
import { calendarTransforms } from './calendar';
import { controlTransforms } from './control';
import { objectTransforms } from './objects';
import { stringTransforms } from './strings';

// The 55 transforms of the original v1 registry (the 2017 docs' `index` page is not a transform).
register(
  ...basicTransforms,
  ...controlTransforms,
  ...objectTransforms,
  ...stringTransforms,
  ...calendarTransforms,
);
