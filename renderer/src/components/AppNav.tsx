import { ROUTES, type RouteId, routeHref } from '../routes/routes.ts';

/** The screens as plain links: keyboard, middle-click and the back button work as on any page. */
export function AppNav({ route }: { route: RouteId }) {
  return (
    <nav className="app-nav" aria-label="Screens">
      <ul className="app-nav__list">
        {ROUTES.map(({ id, label }) => (
          <li key={id}>
            <a
              className="app-nav__link"
              href={routeHref(id)}
              aria-current={route === id ? 'page' : undefined}
              data-testid={`nav-${id}`}
            >
              {label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
